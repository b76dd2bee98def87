package io.healthmesh.connector.sync.fake;

import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;

/**
 * The fake Withings data type {@value #DATA_TYPE}; what it does is scripted in {@link FakeProvider}.
 * An alternative enabled by {@code SyncTestProfile} only.
 */
@Alternative
@ApplicationScoped
public class FakeActivitySync implements DataTypeSync {

    public static final String DATA_TYPE = "activity";

    private final FakeProvider provider;

    public FakeActivitySync(FakeProvider provider) {
        this.provider = provider;
    }

    @Override
    public String source() {
        return FakeProvider.SOURCE;
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    public String sync(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        return provider.sync(DATA_TYPE, context, cursor, from, to);
    }
}
