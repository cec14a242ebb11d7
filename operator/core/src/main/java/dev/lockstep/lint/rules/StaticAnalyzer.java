package dev.lockstep.lint.rules;

import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.lint.ddl.DdlParser;
import dev.lockstep.sql.Script;
import dev.lockstep.sql.SqlStatement;
import dev.lockstep.sql.TransactionControl;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the static rules to scripts in the order Flyway runs them. It remembers what earlier
 * statements did, so that a table created earlier in the same script counts as new (an index on it
 * is harmless) and a constraint added NOT VALID and validated in one transaction is caught.
 *
 * <p>One analyzer reads the scripts of one database, in order: use a new one for each.
 */
public final class StaticAnalyzer {

  private final SchemaState schema = new SchemaState();
  private final AlterTableChecks alterTable;
  private final StatementChecks statements;

  /** @param postgresMajorVersion the target server's major version: some facts depend on it */
  public StaticAnalyzer(int postgresMajorVersion) {
    this.alterTable = new AlterTableChecks(schema, postgresMajorVersion);
    this.statements = new StatementChecks(schema, postgresMajorVersion);
  }

  /** The rule hits of one script; what it creates and changes is remembered for the next. */
  public List<RuleHit> analyze(Script script) {
    schema.startScript(script.name());
    List<RuleHit> hits = new ArrayList<>();
    for (SqlStatement statement : script.statements()) {
      Ddl ddl = DdlParser.parse(statement.tokens());
      if (ddl instanceof Ddl.AlterTable alter) {
        alterTable.inspect(statement, alter, hits);
      } else {
        statements.inspect(statement, ddl, hits);
      }
      if (!statement.inTransaction()
          || (ddl instanceof Ddl.Transaction t && t.control() == TransactionControl.END)) {
        schema.endTransaction();
      }
    }
    TransactionChecks.inspect(script, hits);
    return hits;
  }
}
