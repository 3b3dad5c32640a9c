package dev.parlor.db;

import java.sql.SQLException;

/** Portable recognition of database errors that the services handle. */
public final class SqlErrors {
  private SqlErrors() {}

  /** A unique or primary-key constraint was violated (PostgreSQL 23505, SQLite CONSTRAINT). */
  public static boolean isUniqueViolation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          return true;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_CONSTRAINT_UNIQUE") || m.contains("SQLITE_CONSTRAINT_PRIMARYKEY")) {
          return true;
        }
      }
    }
    return false;
  }
}
