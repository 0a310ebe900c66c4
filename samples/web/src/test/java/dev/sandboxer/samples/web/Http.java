package dev.sandboxer.samples.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for one running app, so the tests call it exactly as {@code curl} would. */
final class Http {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	private final String base;

	Http(int port) {
		this.base = "http://localhost:" + port;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	HttpResponse<byte[]> getBytes(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET(), BodyHandlers.ofByteArray());
	}

	HttpResponse<String> post(String path, String text) {
		return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString(text)));
	}

	HttpResponse<String> put(String path, byte[] content) {
		return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
			.PUT(BodyPublishers.ofByteArray(content)));
	}

	HttpResponse<String> delete(String path) {
		return send(HttpRequest.newBuilder(uri(path)).DELETE());
	}

	static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	private URI uri(String path) {
		return URI.create(this.base + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		return send(request, BodyHandlers.ofString());
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
		try {
			return this.client.send(request.build(), handler);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
