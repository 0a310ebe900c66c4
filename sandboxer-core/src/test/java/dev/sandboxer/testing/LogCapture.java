package dev.sandboxer.testing;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line Sandboxer writes (DEBUG and up), with messages formatted and stack traces included, so a
 * test can assert that no secret reaches a log. Also quiets the WireMock and Jetty loggers.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger("dev.sandboxer");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Level previousLevel;

	private LogCapture() {
		quietLibraries();
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(Level.DEBUG);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	public static LogCapture start() {
		return new LogCapture();
	}

	/** Leaves only warnings from the test servers' libraries, so test output stays readable. */
	public static void quietLibraries() {
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
	}

	/** Every captured line: the formatted message, and the throwable's class and message when there is one. */
	public List<String> lines() {
		return this.appender.list.stream().map((event) -> {
			StringBuilder line = new StringBuilder(event.getFormattedMessage());
			for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
				line.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
			}
			return line.toString();
		}).toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previousLevel);
	}

}
