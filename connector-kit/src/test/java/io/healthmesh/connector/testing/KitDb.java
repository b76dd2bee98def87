package io.healthmesh.connector.testing;

import io.healthmesh.testsupport.LocalStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Looks into the kit's tables from the test's side (JDBC as the admin role, in the run's schema). */
public final class KitDb {

    private KitDb() {
    }

    public static String schema() {
        return ConfigProvider.getConfig().getValue("healthmesh.db.role", String.class);
    }

    /** The connection row as raw column values (bytea as byte[]); empty map when there is none. */
    public static Map<String, Object> connection(String userId, String source) {
        return row("SELECT * FROM " + schema() + ".connection WHERE user_id = ? AND source = ?", userId, source);
    }

    public static Map<String, Object> row(String sql, Object... parameters) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (rows.next()) {
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        row.put(rows.getMetaData().getColumnName(c), rows.getObject(c));
                    }
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(String sql, Object... parameters) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
