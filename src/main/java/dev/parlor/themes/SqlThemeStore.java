package dev.parlor.themes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link ThemeStore} on JDBI with portable SQL. Writes are rare (an API call or the CLI), so they
 * go straight to the pool rather than through the group-commit writer; upserts use {@code INSERT
 * ... ON CONFLICT ... DO UPDATE}, which SQLite and PostgreSQL both understand.
 */
public final class SqlThemeStore implements ThemeStore {
  private static final String IMAGE_COLUMNS =
      "slot, source, blob_key, sha256, format, size_bytes, width, height, palette, theme";

  private final Jdbi jdbi;

  public SqlThemeStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<Colors> colors(Owner owner) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT primary_color, secondary_color, focus_color FROM theme_colors"
                        + " WHERE owner_kind = :kind AND owner_id = :id")
                .bind("kind", owner.kind().wire())
                .bind("id", owner.id())
                .map(
                    (rs, ctx) ->
                        new Colors(
                            Optional.ofNullable(rs.getString("primary_color")),
                            Optional.ofNullable(rs.getString("secondary_color")),
                            Optional.ofNullable(rs.getString("focus_color"))))
                .findOne());
  }

  @Override
  public void putColors(Owner owner, Colors colors, Instant at) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO theme_colors (owner_kind, owner_id, primary_color,"
                        + " secondary_color, focus_color, updated_at)"
                        + " VALUES (:kind, :id, :primary, :secondary, :focus, :at)"
                        + " ON CONFLICT (owner_kind, owner_id) DO UPDATE SET"
                        + " primary_color = excluded.primary_color,"
                        + " secondary_color = excluded.secondary_color,"
                        + " focus_color = excluded.focus_color, updated_at = excluded.updated_at")
                .bind("kind", owner.kind().wire())
                .bind("id", owner.id())
                .bind("primary", colors.primary().orElse(null))
                .bind("secondary", colors.secondary().orElse(null))
                .bind("focus", colors.focus().orElse(null))
                .bind("at", at.toEpochMilli())
                .execute());
  }

  @Override
  public boolean deleteColors(Owner owner) {
    return jdbi.withHandle(h -> deleteColors(h, owner)) > 0;
  }

  private static int deleteColors(Handle h, Owner owner) {
    return h.createUpdate("DELETE FROM theme_colors WHERE owner_kind = :kind AND owner_id = :id")
        .bind("kind", owner.kind().wire())
        .bind("id", owner.id())
        .execute();
  }

  @Override
  public Optional<ThemeImage> image(Owner owner, ImageSlot slot) {
    return Optional.ofNullable(images(owner).get(slot));
  }

  @Override
  public Map<ImageSlot, ThemeImage> images(Owner owner) {
    return jdbi.withHandle(h -> images(h, owner));
  }

  private static Map<ImageSlot, ThemeImage> images(Handle h, Owner owner) {
    Map<ImageSlot, ThemeImage> out = new EnumMap<>(ImageSlot.class);
    h.createQuery(
            "SELECT "
                + IMAGE_COLUMNS
                + " FROM theme_images WHERE owner_kind = :kind AND owner_id = :id")
        .bind("kind", owner.kind().wire())
        .bind("id", owner.id())
        .map((rs, ctx) -> Map.entry(rs.getString("slot"), image(rs)))
        .forEach(
            e -> ImageSlot.fromWire(e.getKey()).ifPresent(slot -> out.put(slot, e.getValue())));
    return out;
  }

  private static ThemeImage image(ResultSet rs) throws SQLException {
    if ("builtin".equals(rs.getString("source"))) {
      return new ThemeImage.BuiltIn(
          Palette.fromWire(rs.getString("palette")).orElse(Palette.DEFAULT),
          BackgroundTheme.fromWire(rs.getString("theme")).orElse(BackgroundTheme.DEFAULT));
    }
    return new ThemeImage.Uploaded(
        rs.getString("blob_key"),
        rs.getString("sha256"),
        ImageFormat.fromExtension(rs.getString("format")).orElse(ImageFormat.PNG),
        rs.getLong("size_bytes"),
        rs.getInt("width"),
        rs.getInt("height"));
  }

  @Override
  public void putImage(Owner owner, ImageSlot slot, ThemeImage image, Instant at) {
    jdbi.useHandle(
        h -> {
          var u =
              h.createUpdate(
                      "INSERT INTO theme_images (owner_kind, owner_id, "
                          + IMAGE_COLUMNS
                          + ", updated_at) VALUES (:kind, :id, :slot, :source, :key, :sha,"
                          + " :format, :size, :width, :height, :palette, :theme, :at)"
                          + " ON CONFLICT (owner_kind, owner_id, slot) DO UPDATE SET"
                          + " source = excluded.source, blob_key = excluded.blob_key,"
                          + " sha256 = excluded.sha256, format = excluded.format,"
                          + " size_bytes = excluded.size_bytes, width = excluded.width,"
                          + " height = excluded.height, palette = excluded.palette,"
                          + " theme = excluded.theme, updated_at = excluded.updated_at")
                  .bind("kind", owner.kind().wire())
                  .bind("id", owner.id())
                  .bind("slot", slot.wire())
                  .bind("at", at.toEpochMilli());
          switch (image) {
            case ThemeImage.Uploaded up ->
                u.bind("source", "upload")
                    .bind("key", up.blobKey())
                    .bind("sha", up.sha256())
                    .bind("format", up.format().extension())
                    .bind("size", up.sizeBytes())
                    .bind("width", up.width())
                    .bind("height", up.height())
                    .bindNull("palette", java.sql.Types.VARCHAR)
                    .bindNull("theme", java.sql.Types.VARCHAR);
            case ThemeImage.BuiltIn b ->
                u.bind("source", "builtin")
                    .bindNull("key", java.sql.Types.VARCHAR)
                    .bindNull("sha", java.sql.Types.VARCHAR)
                    .bindNull("format", java.sql.Types.VARCHAR)
                    .bindNull("size", java.sql.Types.BIGINT)
                    .bindNull("width", java.sql.Types.INTEGER)
                    .bindNull("height", java.sql.Types.INTEGER)
                    .bind("palette", b.palette().wire())
                    .bind("theme", b.theme().wire());
          }
          u.execute();
        });
  }

  @Override
  public Optional<ThemeImage> deleteImage(Owner owner, ImageSlot slot) {
    return jdbi.inTransaction(
        h -> {
          Optional<ThemeImage> old = Optional.ofNullable(images(h, owner).get(slot));
          h.createUpdate(
                  "DELETE FROM theme_images WHERE owner_kind = :kind AND owner_id = :id"
                      + " AND slot = :slot")
              .bind("kind", owner.kind().wire())
              .bind("id", owner.id())
              .bind("slot", slot.wire())
              .execute();
          return old;
        });
  }

  @Override
  public boolean hasAny(Owner owner) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                            "SELECT COUNT(*) FROM theme_colors WHERE owner_kind = :kind AND owner_id = :id")
                        .bind("kind", owner.kind().wire())
                        .bind("id", owner.id())
                        .mapTo(Long.class)
                        .one()
                    > 0
                || h.createQuery(
                            "SELECT COUNT(*) FROM theme_images WHERE owner_kind = :kind"
                                + " AND owner_id = :id")
                        .bind("kind", owner.kind().wire())
                        .bind("id", owner.id())
                        .mapTo(Long.class)
                        .one()
                    > 0);
  }

  @Override
  public List<ThemeImage> deleteAll(Owner owner) {
    return jdbi.inTransaction(
        h -> {
          List<ThemeImage> removed = new ArrayList<>(images(h, owner).values());
          h.createUpdate("DELETE FROM theme_images WHERE owner_kind = :kind AND owner_id = :id")
              .bind("kind", owner.kind().wire())
              .bind("id", owner.id())
              .execute();
          deleteColors(h, owner);
          return removed;
        });
  }

  @Override
  public List<Long> orphanedRooms(int max) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT owner_id FROM theme_colors WHERE owner_kind = 'room'"
                        + " AND owner_id NOT IN (SELECT id FROM meetings)"
                        + " UNION SELECT owner_id FROM theme_images WHERE owner_kind = 'room'"
                        + " AND owner_id NOT IN (SELECT id FROM meetings)"
                        + " ORDER BY owner_id LIMIT :max")
                .bind("max", max)
                .mapTo(Long.class)
                .list());
  }
}
