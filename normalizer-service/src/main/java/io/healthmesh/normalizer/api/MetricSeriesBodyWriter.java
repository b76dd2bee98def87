package io.healthmesh.normalizer.api;

import io.netty.buffer.ByteBuf;
import io.quarkus.vertx.utils.NoBoundChecksBuffer;
import io.vertx.core.buffer.impl.VertxByteBufAllocator;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Metric reads as JSON through {@link MetricSeriesJson}: the same bytes the service's Jackson
 * writer gives for the records (MetricSeriesJsonTest compares them), in one buffer.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class MetricSeriesBodyWriter implements ServerMessageBodyWriter<MetricSeries> {

    private final MetricSeriesJson json;

    public MetricSeriesBodyWriter(MetricSeriesJson json) {
        this.json = json;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return type == MetricSeries.class;
    }

    /**
     * Writes the JSON in 64 KB pieces straight into a pooled direct buffer and ends the response
     * with it, as Quarkus REST's own {@code end(byte[])} ends it with a copy of a byte array: no
     * array of the whole answer, no second copy. The response's headers (Content-Type) are
     * written by Quarkus REST's headers-end handler either way.
     */
    @Override
    public void writeResponse(MetricSeries series, Type genericType, ServerRequestContext context) {
        RoutingContext routing = context instanceof ResteasyReactiveRequestContext rr
                ? rr.serverRequest().unwrap(RoutingContext.class) : null;
        if (routing == null) {
            context.serverResponse().end(json.toBytes(series));
            return;
        }
        ByteBuf body = VertxByteBufAllocator.POOLED_ALLOCATOR.directBuffer(Math.min(MetricSeriesJson.estimate(series),
                1 << 24));
        try {
            json.write(series, body::writeBytes);
        } catch (RuntimeException | Error e) {
            body.release();
            throw e;
        }
        routing.response().end(new NoBoundChecksBuffer(body));
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == MetricSeries.class;
    }

    @Override
    public void writeTo(MetricSeries series, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream)
            throws IOException {
        entityStream.write(json.toBytes(series));
    }
}
