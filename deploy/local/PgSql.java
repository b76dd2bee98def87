// Minimal SQL runner of the local stack (deploy/local/stack.sh), used instead of psql where
// psql is not installed (the embedded PostgreSQL bundle has no client).
//   java -cp '.local/pg/lib/*' PgSql.java <jdbc-url> <user> <statement>...
// The password comes from the environment variable PGPASSWORD. Each argument is one statement
// (several ';'-separated commands in one argument are sent together), run with autocommit;
// rows of result sets are printed with "|" between columns, like `psql -At`. Exit 1 on the first error.

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Properties;

public class PgSql {
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: PgSql <jdbc-url> <user> <statement>...");
            System.exit(2);
        }
        Properties p = new Properties();
        p.setProperty("user", args[1]);
        String pw = System.getenv("PGPASSWORD");
        if (pw != null) p.setProperty("password", pw);
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "healthmesh-local-stack");
        try (Connection c = DriverManager.getConnection(args[0], p); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (int i = 2; i < args.length; i++) {
                boolean rs = st.execute(args[i]);
                while (true) {
                    if (rs) {
                        try (ResultSet r = st.getResultSet()) {
                            int n = r.getMetaData().getColumnCount();
                            while (r.next()) {
                                StringBuilder line = new StringBuilder();
                                for (int col = 1; col <= n; col++) {
                                    if (col > 1) line.append('|');
                                    String v = r.getString(col);
                                    line.append(v == null ? "" : v);
                                }
                                System.out.println(line);
                            }
                        }
                    } else if (st.getUpdateCount() == -1) {
                        break;
                    }
                    rs = st.getMoreResults();
                }
            }
        } catch (SQLException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        }
    }
}
