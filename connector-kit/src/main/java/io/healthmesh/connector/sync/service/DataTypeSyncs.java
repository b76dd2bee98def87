package io.healthmesh.connector.sync.service;

import io.healthmesh.connector.provider.DataTypeSync;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The connector service's {@link DataTypeSync} beans, by source and data type. */
@ApplicationScoped
public class DataTypeSyncs {

    private final Map<String, Map<String, DataTypeSync>> bySource = new LinkedHashMap<>();

    public DataTypeSyncs(@Any Instance<DataTypeSync> syncs) {
        for (DataTypeSync sync : syncs) {
            DataTypeSync earlier = bySource.computeIfAbsent(sync.source(), source -> new TreeMap<>())
                    .putIfAbsent(sync.dataType(), sync);
            if (earlier != null) {
                throw new IllegalStateException("Two DataTypeSync beans for " + sync.source() + " " + sync.dataType()
                        + ": " + earlier.getClass().getName() + " and " + sync.getClass().getName());
            }
        }
    }

    /** The data types of a source, in a stable order. */
    public List<String> dataTypes(String source) {
        return List.copyOf(bySource.getOrDefault(source, Map.of()).keySet());
    }

    public Optional<DataTypeSync> find(String source, String dataType) {
        return Optional.ofNullable(bySource.getOrDefault(source, Map.of()).get(dataType));
    }
}
