package dev.lockstep.runner.backfill;

import dev.lockstep.runner.Identifiers;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The table a backfill changes, as the catalog names it, with its primary key.
 *
 * @param keyColumns the primary key's columns in key order, each with its SQL type
 */
record BackfillTable(String schema, String name, List<KeyColumn> keyColumns) {

  /** One column of the primary key; {@code type} is {@code format_type()}'s spelling. */
  record KeyColumn(String name, String type) {

    String quoted() {
      return Identifiers.quote(name);
    }
  }

  /** {@code "schema"."name"}: safe to put into SQL. */
  String qualifiedName() {
    return Identifiers.quote(schema, name);
  }

  /** {@code schema.name}: for people. */
  String displayName() {
    return schema + "." + name;
  }

  /** The key columns, quoted, joined with {@code ", "}, each prefixed with {@code qualifier.} if given. */
  String keyList(String qualifier) {
    return keyColumns.stream()
        .map(c -> qualifier == null ? c.quoted() : qualifier + "." + c.quoted())
        .collect(Collectors.joining(", "));
  }
}
