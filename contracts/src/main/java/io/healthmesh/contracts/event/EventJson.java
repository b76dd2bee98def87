package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON form of events, shared by every producer and consumer so that they agree byte for byte. */
public final class EventJson {

    private static final ObjectMapper MAPPER = newConfiguredMapper();

    // A Kafka message holds exactly one event, so anything after it means a corrupt message.
    private static final ObjectReader ENVELOPE_READER =
            MAPPER.readerFor(Envelope.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EventJson() {
    }

    /** The shared, configured mapper. Do not reconfigure it: every caller relies on these settings. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Applies the event settings to a mapper the caller owns (a Quarkus service's, typically):
     * ISO-8601 times with offsets kept as written, unknown properties ignored so that newer
     * producers do not break older consumers, and nulls left out.
     */
    public static void configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }

    private static ObjectMapper newConfiguredMapper() {
        ObjectMapper mapper = new ObjectMapper();
        configure(mapper);
        return mapper;
    }

    public static byte[] write(Envelope envelope) {
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            // Records of plain values always serialize; reaching this is a bug, not bad input.
            throw new IllegalStateException("cannot write event " + envelope.eventId(), e);
        }
    }

    public static String writeString(Envelope envelope) {
        return new String(write(envelope), StandardCharsets.UTF_8);
    }

    /**
     * Reads one event, or throws {@link MalformedEventException} naming what is wrong; it never
     * returns an envelope without kind or payload.
     */
    public static Envelope read(byte[] json) {
        if (json == null || json.length == 0) {
            throw new MalformedEventException("empty message");
        }
        Envelope envelope;
        try {
            envelope = ENVELOPE_READER.readValue(json);
        } catch (InvalidTypeIdException e) {
            throw new MalformedEventException("unknown kind '" + e.getTypeId() + "'", e);
        } catch (JsonMappingException e) {
            throw new MalformedEventException(describe(e), e);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedEventException("unreadable: " + e.getMessage(), e);
        }
        if (envelope == null) {
            throw new MalformedEventException("message is JSON null");
        }
        if (envelope.kind() == null) {
            throw new MalformedEventException("missing kind");
        }
        if (envelope.payload() == null) {
            throw new MalformedEventException("missing payload");
        }
        return envelope;
    }

    public static Envelope read(String json) {
        return read(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(JsonMappingException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Missing external type id property")) {
            return "missing kind";
        }
        if (message != null && message.startsWith("Missing property 'payload'")) {
            return "missing payload";
        }
        String path = pathOf(e);
        return path.isEmpty() ? message : path + ": " + message;
    }

    private static String pathOf(JsonMappingException e) {
        List<JsonMappingException.Reference> references = e.getPath();
        StringBuilder path = new StringBuilder();
        // The payload is buffered and read apart from the envelope, so its errors lack the "payload" step.
        if (!references.isEmpty() && !isEnvelope(references.get(0).getFrom())) {
            path.append("payload");
        }
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static boolean isEnvelope(Object from) {
        return from == Envelope.class || from instanceof Envelope;
    }
}
