package io.healthmesh.normalizer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
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

    public MetricSeriesBodyWriter(ObjectMapper mapper) {
        this.json = new MetricSeriesJson(mapper.writer());
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return type == MetricSeries.class;
    }

    @Override
    public void writeResponse(MetricSeries series, Type genericType, ServerRequestContext context) {
        context.serverResponse().end(json.toBytes(series));
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
