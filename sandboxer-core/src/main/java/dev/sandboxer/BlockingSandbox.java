package dev.sandboxer;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;

import dev.sandboxer.model.CommandHandle;
import dev.sandboxer.model.CommandResult;
import dev.sandboxer.model.CreatePtyRequest;
import dev.sandboxer.model.FileInfo;
import dev.sandboxer.model.ProcessInfo;
import dev.sandboxer.model.ProviderName;
import dev.sandboxer.model.PtyInfo;
import dev.sandboxer.model.RunCommandRequest;
import dev.sandboxer.model.SandboxInfo;
import dev.sandboxer.model.StartCommandRequest;
import org.jspecify.annotations.Nullable;

/** The blocking sandbox: waits on the asynchronous one. */
final class BlockingSandbox implements Sandbox {

	private final DefaultAsyncSandbox async;

	BlockingSandbox(DefaultAsyncSandbox async) {
		this.async = async;
	}

	@Override
	public String id() {
		return this.async.id();
	}

	@Override
	public ProviderName provider() {
		return this.async.provider();
	}

	@Override
	public SandboxInfo initialInfo() {
		return this.async.initialInfo();
	}

	@Override
	public SandboxInfo info() {
		return Await.result(this.async.core(), this.async.info());
	}

	@Override
	public boolean isRunning() {
		return Await.result(this.async.core(), this.async.isRunning());
	}

	@Override
	public void pause() {
		Await.result(this.async.core(), this.async.pause());
	}

	@Override
	public void resume() {
		Await.result(this.async.core(), this.async.resume());
	}

	@Override
	public void kill() {
		Await.result(this.async.core(), this.async.kill());
	}

	@Override
	public void setTimeout(Duration timeout) {
		Await.result(this.async.core(), this.async.setTimeout(timeout));
	}

	@Override
	public String portUrl(int port) {
		return Await.result(this.async.core(), this.async.portUrl(port));
	}

	@Override
	public CommandResult runCommand(String command) {
		return Await.result(this.async.core(), this.async.runCommand(command));
	}

	@Override
	public CommandResult runCommand(RunCommandRequest request) {
		return Await.result(this.async.core(), this.async.runCommand(request));
	}

	@Override
	public CommandResult runCommand(RunCommandRequest request, CommandOutputListener listener) {
		return Await.result(this.async.core(), this.async.runCommand(request, listener));
	}

	@Override
	public CommandHandle startCommand(StartCommandRequest request) {
		return Await.result(this.async.core(), this.async.startCommand(request));
	}

	@Override
	public CommandResult waitForHandle(String handleId) {
		return Await.result(this.async.core(), this.async.waitForHandle(handleId));
	}

	@Override
	public CommandResult waitForHandle(String handleId, Duration timeout) {
		return Await.result(this.async.core(), this.async.waitForHandle(handleId, timeout));
	}

	@Override
	public void killProcess(int pid) {
		Await.result(this.async.core(), this.async.killProcess(pid));
	}

	@Override
	public void killProcess(int pid, Duration gracePeriod) {
		Await.result(this.async.core(), this.async.killProcess(pid, gracePeriod));
	}

	@Override
	public List<ProcessInfo> listProcesses() {
		return Await.result(this.async.core(), this.async.listProcesses());
	}

	@Override
	public byte[] readFile(String path) {
		return Await.result(this.async.core(), this.async.readFile(path));
	}

	@Override
	public InputStream readFileStream(String path) {
		return Await.result(this.async.core(), this.async.readFileStream(path));
	}

	@Override
	public void writeFile(String path, byte[] content) {
		Await.result(this.async.core(), this.async.writeFile(path, content));
	}

	@Override
	public void writeFile(String path, byte[] content, @Nullable Integer mode, @Nullable String user) {
		Await.result(this.async.core(), this.async.writeFile(path, content, mode, user));
	}

	@Override
	public void writeFile(String path, InputStream content, @Nullable Integer mode, @Nullable String user) {
		Await.result(this.async.core(), this.async.writeFile(path, content, mode, user));
	}

	@Override
	public List<FileInfo> listDirectory(String path) {
		return Await.result(this.async.core(), this.async.listDirectory(path));
	}

	@Override
	public void makeDir(String path) {
		Await.result(this.async.core(), this.async.makeDir(path));
	}

	@Override
	public void remove(String path) {
		Await.result(this.async.core(), this.async.remove(path));
	}

	@Override
	public boolean exists(String path) {
		return Await.result(this.async.core(), this.async.exists(path));
	}

	@Override
	public PtyInfo createPty(CreatePtyRequest request, PtyListener listener) {
		return Await.result(this.async.core(), this.async.createPty(request, listener));
	}

	@Override
	public void sendPtyInput(int pid, byte[] data) {
		Await.result(this.async.core(), this.async.sendPtyInput(pid, data));
	}

	@Override
	public void resizePty(int pid, int rows, int cols) {
		Await.result(this.async.core(), this.async.resizePty(pid, rows, cols));
	}

	@Override
	public void killPty(int pid) {
		Await.result(this.async.core(), this.async.killPty(pid));
	}

	@Override
	public void killPty(int pid, Duration gracePeriod) {
		Await.result(this.async.core(), this.async.killPty(pid, gracePeriod));
	}

	@Override
	public List<PtyInfo> listPty() {
		return Await.result(this.async.core(), this.async.listPty());
	}

	@Override
	public void detach() {
		this.async.detach();
	}

	@Override
	public AsyncSandbox async() {
		return this.async;
	}

	@Override
	public void close() {
		this.async.close();
	}

	@Override
	public String toString() {
		return this.async.toString().replaceFirst("^AsyncSandbox", "Sandbox");
	}

}
