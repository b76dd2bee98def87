package io.healthmesh.commons.http;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Plain-HTTP requests are served as HTTP/1.1 only: no cleartext HTTP/2 ({@code h2c}).
 *
 * <p>Clients such as Java's {@code HttpClient} ask every plain-HTTP request to upgrade
 * ({@code Connection: Upgrade, HTTP2-Settings}, {@code Upgrade: h2c}). To answer such an upgrade,
 * Vert.x first aggregates the whole request body in the heap, on the event loop, before any
 * endpoint sees a byte of it: an upload of a 2 GB export.xml needed GBs of heap and failed at
 * -Xmx256m, while the same upload as plain HTTP/1.1 streams to storage with a few buffers. Without
 * h2c the server ignores the upgrade and the body streams. HTTP/2 over TLS (ALPN) is unaffected.
 * Every service gets this (the gateway streams uploads through, file-import stores them).
 */
@ApplicationScoped
public class NoCleartextHttp2Upgrade implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
