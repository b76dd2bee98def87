package io.healthmesh.contracts.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.Fixtures;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preferences.v1 and connection.status.v1 schemas round-trip their golden fixtures. */
class PolicyAndStatusJsonTest {

    private final ObjectMapper json = EventJson.mapper();

    @Test
    void aPolicyRoundTripsAndKeepsItsOrders() throws Exception {
        byte[] fixture = Fixtures.bytes("policy");
        Policy policy = json.readValue(fixture, Policy.class);

        assertEquals(1717243200000123L, policy.version());
        assertEquals(List.of("oura", "apple_health"), policy.metricOverrides().get("steps"));
        assertEquals(List.of("Watch", "iPhone"), policy.deviceRanks().get("apple_health"));
        assertTrue(policy.connectedSources().contains("withings"));
        assertEquals("+02:00", policy.updatedAt().getOffset().toString());
        JsonNode written = json.readTree(json.writeValueAsBytes(policy));
        JsonNode expected = json.readTree(fixture);
        assertEquals(expected, written);
    }

    @Test
    void aConnectionReportRoundTripsAndIgnoresUnknownFields() throws Exception {
        byte[] fixture = Fixtures.bytes("connection-status");
        ConnectionStatus status = json.readValue(fixture, ConnectionStatus.class);

        assertEquals(ConnectionState.BACKFILLING, status.state());
        assertEquals("user-42:withings", status.key());
        assertTrue(status.state().isConnected());
        assertFalse(ConnectionState.DISCONNECTED.isConnected());
        assertEquals(json.readTree(fixture), json.readTree(json.writeValueAsBytes(status)));

        ConnectionStatus withExtra = json.readValue(
                "{\"userId\": \"u\", \"source\": \"oura\", \"state\": \"token_expired\", \"reason\": \"refresh refused\","
                        + " \"updatedAt\": \"2024-06-01T09:00:00Z\", \"futureField\": {\"a\": 1}}",
                ConnectionStatus.class);
        assertEquals(ConnectionState.TOKEN_EXPIRED, withExtra.state());
        assertEquals("refresh refused", withExtra.reason());
    }
}
