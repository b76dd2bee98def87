package io.healthmesh.preferences.service;

import io.healthmesh.contracts.status.ConnectionStatus;
import io.healthmesh.preferences.api.ConnectionView;
import io.healthmesh.preferences.domain.SourceDescriptor;
import io.healthmesh.preferences.messaging.PolicyPublisher;
import io.healthmesh.preferences.repository.PreferencesRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Connection reports in, each user's sources with capabilities and status out. */
@ApplicationScoped
public class ConnectionService {

    static final String NOT_CONNECTED = "not_connected";

    private final PreferencesRepository repository;
    private final SourceRegistry registry;
    private final PolicyAssembler assembler;
    private final PolicyPublisher publisher;

    public ConnectionService(PreferencesRepository repository, SourceRegistry registry, PolicyAssembler assembler,
            PolicyPublisher publisher) {
        this.repository = repository;
        this.registry = registry;
        this.assembler = assembler;
        this.publisher = publisher;
    }

    /** Stores a report; when it connects or disconnects a source the policy gets a new version. */
    public Uni<Void> record(ConnectionStatus status) {
        return repository.saveStatus(status, snapshot -> publisher.publish(assembler.policy(snapshot)));
    }

    public Uni<List<ConnectionView>> connections(String userId) {
        return repository.connections(userId).map(statuses -> {
            Map<String, ConnectionStatus> bySource = statuses.stream()
                    .collect(Collectors.toMap(ConnectionStatus::source, Function.identity()));
            List<ConnectionView> views = new ArrayList<>();
            for (SourceDescriptor source : registry.all()) {
                ConnectionStatus status = bySource.get(source.id());
                views.add(status == null
                        ? new ConnectionView(source.id(), source.displayName(), source.kind(), source.status(),
                                source.categories(), NOT_CONNECTED, null, null, null, null, null)
                        : new ConnectionView(source.id(), source.displayName(), source.kind(), source.status(),
                                source.categories(), status.state().code(), status.progress(), status.reason(),
                                status.lastSuccessfulSync(), status.nextSync(), status.updatedAt()));
            }
            return views;
        });
    }
}
