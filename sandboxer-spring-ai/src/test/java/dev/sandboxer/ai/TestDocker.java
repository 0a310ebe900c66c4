package dev.sandboxer.ai;

import java.util.List;

import dev.sandboxer.Sandboxer;
import dev.sandboxer.config.ProviderConfig;
import dev.sandboxer.model.ListSandboxesFilter;
import dev.sandboxer.model.SandboxInfo;

/** The local provider on the test image, and a look at Docker's containers by label from outside the tools. */
public final class TestDocker {

	/** Made by scripts/setup-docker.sh. */
	public static final String IMAGE = "sandboxer-test/busybox:latest";

	private TestDocker() {
	}

	/** A client of the local provider whose sandboxes are made from the test image. */
	public static Sandboxer localSandboxer() {
		return Sandboxer.builder("local").config(ProviderConfig.builder().extra("image", IMAGE).build()).build();
	}

	/**
	 * The sandboxes Docker holds for a conversation, found by the label its metadata becomes, through a client of
	 * its own (not the one that made them).
	 */
	public static List<SandboxInfo> sandboxesOf(Sandboxer observer, String conversationId) {
		return observer.listSandboxes(
				ListSandboxesFilter.builder().metadata(ConversationSandboxes.CONVERSATION_KEY, conversationId).build());
	}

}
