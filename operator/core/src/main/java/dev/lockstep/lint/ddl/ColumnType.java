package dev.lockstep.lint.ddl;

import java.util.List;
import java.util.Map;

/**
 * A column's data type as written, in PostgreSQL's canonical spelling: {@code character varying(20)}
 * is {@code varchar} with modifier 20.
 *
 * @param name canonical type name, such as {@code varchar}, {@code numeric}, {@code timestamptz}
 * @param modifiers type modifiers, such as the length of {@code varchar(20)}; empty when none
 * @param array whether it is an array of that type
 */
public record ColumnType(String name, List<Integer> modifiers, boolean array) {

  private static final Map<String, String> CANONICAL = Map.ofEntries(
      Map.entry("character varying", "varchar"),
      Map.entry("char varying", "varchar"),
      Map.entry("character", "char"),
      Map.entry("bpchar", "char"),
      Map.entry("int", "integer"),
      Map.entry("int4", "integer"),
      Map.entry("int2", "smallint"),
      Map.entry("int8", "bigint"),
      Map.entry("serial4", "serial"),
      Map.entry("serial8", "bigserial"),
      Map.entry("serial2", "smallserial"),
      Map.entry("decimal", "numeric"),
      Map.entry("float8", "double precision"),
      Map.entry("float4", "real"),
      Map.entry("bool", "boolean"),
      Map.entry("bit varying", "varbit"),
      Map.entry("timestamp with time zone", "timestamptz"),
      Map.entry("timestamp without time zone", "timestamp"),
      Map.entry("time with time zone", "timetz"),
      Map.entry("time without time zone", "time"));

  /** The canonical name of a type written as {@code words}, such as "character varying". */
  static String canonicalName(String words) {
    return CANONICAL.getOrDefault(words, words);
  }

  /** Whether a column of this type gets its values from a sequence: {@code serial} and friends. */
  public boolean isSerial() {
    return !array && (name.equals("serial") || name.equals("bigserial") || name.equals("smallserial"));
  }

  /**
   * Whether changing a column from {@code from} to this type leaves the stored values as they are, so
   * that PostgreSQL neither rewrites the table nor checks its rows: a binary-coercible change
   * (varchar to text, cidr to inet) or a widening of a length or precision limit.
   */
  public boolean keepsStorageOf(ColumnType from) {
    if (array != from.array) {
      return false;
    }
    if (equals(from)) {
      return true;
    }
    boolean fromString = from.name.equals("varchar") || from.name.equals("text");
    if (fromString && name.equals("text")) {
      return true;
    }
    if (fromString && name.equals("varchar")) {
      return modifiers.isEmpty()
          || (from.name.equals("varchar") && !from.modifiers.isEmpty() && modifiers.get(0) >= from.modifiers.get(0));
    }
    if (from.name.equals("numeric") && name.equals("numeric")) {
      // numeric(p,s) to numeric(p2,s) with p2 >= p, or to unconstrained numeric.
      return modifiers.isEmpty()
          || (!from.modifiers.isEmpty() && modifiers.get(0) >= from.modifiers.get(0) && scale() == from.scale());
    }
    if (from.name.equals("varbit") && name.equals("varbit")) {
      return modifiers.isEmpty() || (!from.modifiers.isEmpty() && modifiers.get(0) >= from.modifiers.get(0));
    }
    return from.name.equals("cidr") && name.equals("inet");
  }

  private int scale() {
    return modifiers.size() > 1 ? modifiers.get(1) : 0;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(name);
    if (!modifiers.isEmpty()) {
      text.append('(');
      for (int i = 0; i < modifiers.size(); i++) {
        text.append(i == 0 ? "" : ",").append(modifiers.get(i));
      }
      text.append(')');
    }
    return array ? text.append("[]").toString() : text.toString();
  }
}
