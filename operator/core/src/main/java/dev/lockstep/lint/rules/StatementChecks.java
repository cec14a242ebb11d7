package dev.lockstep.lint.rules;

import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.sql.SqlStatement;
import java.util.List;

/** The rules for statements other than ALTER TABLE: indexes, drops, maintenance, enums. */
final class StatementChecks {

  private final SchemaState schema;
  private final int postgresMajorVersion;

  StatementChecks(SchemaState schema, int postgresMajorVersion) {
    this.schema = schema;
    this.postgresMajorVersion = postgresMajorVersion;
  }

  void inspect(SqlStatement statement, Ddl ddl, List<RuleHit> hits) {
    if (statement.inTransaction() && cannotRunInTransaction(ddl)) {
      hits.add(RuleHit.of(Rule.CONCURRENTLY_IN_TRANSACTION, statement, tableOf(ddl)));
      return;
    }
    if (ddl instanceof Ddl.CreateTable create) {
      schema.createTable(create.table(), create.columns());
    } else if (ddl instanceof Ddl.CreateIndex index) {
      if (!index.concurrently() && index.table() != null && !schema.isNew(index.table())) {
        hits.add(RuleHit.of(Rule.CREATE_INDEX_NON_CONCURRENT, statement, index.table()));
      }
      schema.createIndex(index.name(), index.table());
    } else if (ddl instanceof Ddl.DropIndex drop) {
      dropIndex(statement, drop, hits);
    } else if (ddl instanceof Ddl.DropTable drop) {
      for (String table : drop.tables()) {
        if (!schema.isNew(table)) {
          hits.add(RuleHit.of(Rule.DROPPING_TABLE, statement, table));
        }
        schema.dropTable(table);
      }
    } else if (ddl instanceof Ddl.DropDatabase) {
      hits.add(RuleHit.of(Rule.DROPPING_DATABASE, statement, null));
    } else if (ddl instanceof Ddl.Truncate truncate) {
      if (truncate.cascade()) {
        hits.add(RuleHit.of(Rule.TRUNCATE_CASCADE, statement, first(truncate.tables())));
      }
    } else if (ddl instanceof Ddl.Vacuum vacuum) {
      if (vacuum.full()) {
        hits.add(RuleHit.of(Rule.VACUUM_FULL, statement, first(vacuum.tables())));
      }
    } else if (ddl instanceof Ddl.Cluster cluster) {
      hits.add(RuleHit.of(Rule.CLUSTER, statement, cluster.table()));
    } else if (ddl instanceof Ddl.Reindex reindex) {
      if (reindex.target().equals("SYSTEM")) {
        hits.add(RuleHit.of(Rule.REINDEX_SYSTEM, statement, null));
      } else if (!reindex.concurrently()) {
        hits.add(RuleHit.of(Rule.REINDEX_NON_CONCURRENT, statement, tableOf(reindex)));
      }
    } else if (ddl instanceof Ddl.AlterTypeAddValue) {
      hits.add(RuleHit.of(Rule.ENUM_ADD_VALUE, statement, null));
    } else if (ddl instanceof Ddl.AlterDomain alter) {
      if (alter.change() == Ddl.DomainChange.CHECKS_STORED_VALUES) {
        hits.add(RuleHit.of(Rule.ALTER_DOMAIN_ADD_CONSTRAINT, statement, null));
      }
    } else if (ddl instanceof Ddl.CreateDomain domain) {
      if (domain.constrained()) {
        hits.add(RuleHit.of(Rule.CREATE_DOMAIN_WITH_CONSTRAINT, statement, null));
      }
    } else if (ddl instanceof Ddl.DataChange change) {
      if (!schema.isNew(change.table()) && WholeTable.touchesEveryRow(change, schema)) {
        hits.add(RuleHit.of(Rule.WHOLE_TABLE_UPDATE_OR_DELETE, statement, change.table()));
      }
    }
  }

  /** DROP INDEX locks the index's table; harmless when that table is new, when the scripts tell. */
  private void dropIndex(SqlStatement statement, Ddl.DropIndex drop, List<RuleHit> hits) {
    String table = drop.indexes().isEmpty() ? null : schema.tableOfIndex(drop.indexes().get(0));
    if (!drop.concurrently() && (table == null || !schema.isNew(table))) {
      hits.add(RuleHit.of(Rule.DROP_INDEX_NON_CONCURRENT, statement, table));
    }
    drop.indexes().forEach(schema::dropIndex);
  }

  /**
   * Statements PostgreSQL refuses inside a transaction block ("cannot run inside a transaction
   * block"), among those the rules know.
   */
  private boolean cannotRunInTransaction(Ddl ddl) {
    if (ddl instanceof Ddl.CreateIndex index) {
      return index.concurrently();
    }
    if (ddl instanceof Ddl.DropIndex drop) {
      return drop.concurrently();
    }
    if (ddl instanceof Ddl.Reindex reindex) {
      boolean oneObject = reindex.target().equals("TABLE") || reindex.target().equals("INDEX");
      return reindex.concurrently() || !oneObject;
    }
    if (ddl instanceof Ddl.Cluster cluster) {
      return cluster.table() == null;
    }
    if (ddl instanceof Ddl.AlterTypeAddValue) {
      return postgresMajorVersion < 12;
    }
    return ddl instanceof Ddl.Vacuum || ddl instanceof Ddl.DropDatabase;
  }

  private static String tableOf(Ddl ddl) {
    if (ddl instanceof Ddl.CreateIndex index) {
      return index.table();
    }
    if (ddl instanceof Ddl.Vacuum vacuum) {
      return first(vacuum.tables());
    }
    if (ddl instanceof Ddl.Cluster cluster) {
      return cluster.table();
    }
    if (ddl instanceof Ddl.Reindex reindex) {
      return reindex.target().equals("TABLE") ? reindex.name() : null;
    }
    return null;
  }

  /** The table a REINDEX locks: the one named, or the table of the index named when the scripts tell. */
  private String tableOf(Ddl.Reindex reindex) {
    if (reindex.target().equals("INDEX") && reindex.name() != null) {
      return schema.tableOfIndex(reindex.name());
    }
    return tableOf((Ddl) reindex);
  }

  private static String first(List<String> tables) {
    return tables.isEmpty() ? null : tables.get(0);
  }
}
