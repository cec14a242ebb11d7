package dev.lockstep.shadow;

import dev.lockstep.lint.shadow.ObservedLock;
import dev.lockstep.lint.shadow.StatementObservation;

import dev.lockstep.lint.LintUnit;
import dev.lockstep.lint.LintUnit.StepUnit;
import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.shadow.Catalog.RawLock;
import dev.lockstep.lint.shadow.StatementObservation.Method;
import dev.lockstep.sql.Script;
import dev.lockstep.sql.SqlStatement;
import dev.lockstep.sql.SqlToken;
import dev.lockstep.sql.TransactionControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one unit's scripts on a fresh shadow database, in the order they run for real, and records
 * what each statement did.
 *
 * <p>Statements run as Flyway groups them: a transactional script is one transaction, a
 * non-transactional script runs each statement on its own (or in the transaction blocks it opens).
 * A transaction is first run to be observed, statement by statement, and rolled back; then it is run
 * again and committed, so that the next scripts find the schema they expect. Each statement's
 * observation covers the locks held after it ran (locks stay until the transaction ends, so a lock an
 * earlier statement took is held during this one too) and the tables whose storage file changed.
 * A statement that cannot run in a transaction block is watched from a second session instead (see
 * {@link SecondSessionObserver}). Before each script, empty tables get a few rows.
 */
final class ShadowSession {

  private static final String SQLSTATE_CANNOT_RUN_IN_TRANSACTION = "25001";
  private static final String NOT_RUN_ON_SHADOW = "not run on the shadow database: transaction control,"
      + " COPY FROM STDIN and statements on the server (databases, tablespaces, system settings) are left out";

  private final Connection main;
  private final SecondSessionObserver secondSession;
  private final Map<SqlStatement, StatementObservation> observations = new LinkedHashMap<>();

  ShadowSession(Connection main, SecondSessionObserver secondSession) {
    this.main = main;
    this.secondSession = secondSession;
  }

  Map<SqlStatement, StatementObservation> run(LintUnit unit) throws SQLException {
    for (StepUnit step : unit.steps()) {
      for (Script script : step.forward()) {
        run(script);
      }
    }
    for (Script script : unit.unassigned()) {
      run(script);
    }
    for (int i = unit.steps().size() - 1; i >= 0; i--) {
      for (Script script : unit.steps().get(i).undo()) {
        run(script);
      }
    }
    return observations;
  }

  private void run(Script script) throws SQLException {
    TableSeeder.seedEmptyTables(main);
    Map<Long, Long> filesBeforeScript = Catalog.storageFiles(main);
    for (List<SqlStatement> group : transactionGroups(script)) {
      boolean transaction = script.transactional() || group.size() > 1 || group.get(0).inTransaction();
      if (transaction) {
        observeTransaction(group, filesBeforeScript);
      } else {
        observeAlone(group.get(0), filesBeforeScript);
      }
    }
  }

  /**
   * The statements grouped by the transaction they run in: the whole script when Flyway wraps it in
   * one, each BEGIN .. COMMIT block the script opens itself, otherwise each statement alone.
   */
  private static List<List<SqlStatement>> transactionGroups(Script script) {
    List<List<SqlStatement>> groups = new ArrayList<>();
    if (script.transactional()) {
      groups.add(script.statements());
      return groups;
    }
    List<SqlStatement> block = null;
    for (SqlStatement statement : script.statements()) {
      TransactionControl control = TransactionControl.of(statement.tokens());
      if (control == TransactionControl.BEGIN) {
        block = new ArrayList<>();
        block.add(statement);
      } else if (block != null) {
        block.add(statement);
        if (control == TransactionControl.END) {
          groups.add(block);
          block = null;
        }
      } else {
        groups.add(List.of(statement));
      }
    }
    if (block != null) {
      groups.add(block);
    }
    return groups;
  }

  /** Observes the statements in one transaction, rolls it back, then applies them for real. */
  private void observeTransaction(List<SqlStatement> statements, Map<Long, Long> filesBeforeScript)
      throws SQLException {
    main.setAutoCommit(false);
    int pid = Catalog.backendPid(main);
    String failure = null;
    try {
      for (SqlStatement statement : statements) {
        if (notRunOnShadow(statement)) {
          boolean transactionControl = TransactionControl.of(statement.tokens()) != TransactionControl.NONE;
          observations.put(statement, transactionControl && failure == null
              ? locksHeldAt(pid) : notRun(NOT_RUN_ON_SHADOW));
        } else if (failure != null) {
          observations.put(statement, notRun(failure));
        } else {
          StatementObservation observation = observeInTransaction(statement, pid, filesBeforeScript);
          observations.put(statement, observation);
          if (observation.failed()) {
            failure = "not run: the statement at line " + statement.line() + " failed before it, and with it"
                + " the transaction";
            main.rollback();
          }
        }
      }
      main.rollback();
      if (failure == null) {
        applyOrWhatRuns(statements);
      } else {
        applyWhatRuns(statements);
      }
    } finally {
      main.setAutoCommit(true);
    }
  }

  private StatementObservation observeInTransaction(SqlStatement statement, int pid, Map<Long, Long> filesBeforeScript)
      throws SQLException {
    Catalog.Snapshot before = Catalog.snapshot(main, pid);
    Map<Long, String> names = new HashMap<>(before.names());
    Map<Long, Long> filesBefore = before.storageFiles();
    List<String> rewrittenInUtc = UtcProbe.mayDependOnTimeZone(statement)
        ? UtcProbe.rewrittenInUtc(main, statement, filesBefore, filesBeforeScript, names)
        : null;
    try (Statement jdbc = main.createStatement()) {
      jdbc.execute(statement.sql());
    } catch (SQLException e) {
      return new StatementObservation(List.of(), List.of(), error(e), Method.IN_TRANSACTION);
    }
    Catalog.Snapshot after = Catalog.snapshot(main, pid);
    names.putAll(after.names());
    List<ObservedLock> locks = describe(after.locks(), before.locks(), names, after.indexTables());
    List<String> rewritten = rewritten(filesBefore, after.storageFiles(), filesBeforeScript, names);
    return new StatementObservation(locks, rewritten, null, Method.IN_TRANSACTION, rewrittenInUtc);
  }

  /**
   * A statement Flyway runs on its own, outside a transaction: observed in a transaction that is
   * rolled back when PostgreSQL allows it there, else from a second session; then applied.
   */
  private void observeAlone(SqlStatement statement, Map<Long, Long> filesBeforeScript) throws SQLException {
    if (notRunOnShadow(statement)) {
      observations.put(statement, notRun(NOT_RUN_ON_SHADOW));
      return;
    }
    main.setAutoCommit(false);
    StatementObservation observation;
    try {
      observation = observeInTransaction(statement, Catalog.backendPid(main), filesBeforeScript);
      main.rollback();
    } finally {
      main.setAutoCommit(true);
    }
    if (observation.failed() && observation.error().startsWith(SQLSTATE_CANNOT_RUN_IN_TRANSACTION)) {
      Map<Long, String> names = Catalog.names(main);
      Map<Long, Long> filesBefore = Catalog.storageFiles(main);
      SecondSessionObserver.Result result = secondSession.observe(statement.sql());
      names.putAll(Catalog.names(main));
      observation = new StatementObservation(describe(result.locks(), List.of(), names, Catalog.indexTables(main)),
          rewritten(filesBefore, Catalog.storageFiles(main), filesBeforeScript, names), result.error(),
          Method.SECOND_SESSION);
    } else if (!observation.failed()) {
      applyOrWhatRuns(List.of(statement));
    }
    observations.put(statement, observation);
  }

  /**
   * Runs the statements for real, as one transaction, so that later scripts see their effect; should
   * that fail where the observed run did not (a statement that depends on time or chance), what runs.
   */
  private void applyOrWhatRuns(List<SqlStatement> statements) throws SQLException {
    try {
      apply(statements);
    } catch (SQLException e) {
      if (!main.getAutoCommit()) {
        main.rollback();
      }
      applyWhatRuns(statements);
    }
  }

  /** Runs the statements for real, in one transaction, so that later scripts see their effect. */
  private void apply(List<SqlStatement> statements) throws SQLException {
    boolean autoCommit = main.getAutoCommit();
    main.setAutoCommit(statements.size() == 1 && !statements.get(0).inTransaction());
    try (Statement jdbc = main.createStatement()) {
      for (SqlStatement statement : statements) {
        if (!notRunOnShadow(statement)) {
          jdbc.execute(statement.sql());
        }
      }
      if (!main.getAutoCommit()) {
        main.commit();
      }
    } finally {
      main.setAutoCommit(autoCommit);
    }
  }

  /**
   * After a failure Flyway stops, but the shadow goes on so that later scripts can still be judged:
   * the statements are applied one by one and those that fail are left out.
   */
  private void applyWhatRuns(List<SqlStatement> statements) throws SQLException {
    main.setAutoCommit(true);
    for (SqlStatement statement : statements) {
      if (notRunOnShadow(statement)) {
        continue;
      }
      try (Statement jdbc = main.createStatement()) {
        jdbc.execute(statement.sql());
      } catch (SQLException e) {
        // left out: its failure is already recorded
      }
    }
  }

  /** Locks by relation: the strongest mode on each, and whether this statement took or strengthened it. */
  private static List<ObservedLock> describe(
      List<RawLock> after, List<RawLock> before, Map<Long, String> names, Map<Long, String> indexTables) {
    Map<Long, LockMode> heldBefore = strongest(before, true);
    Map<Long, LockMode> grantedAfter = strongest(after, true);
    Map<Long, LockMode> waiting = strongest(after, false);
    List<ObservedLock> locks = new ArrayList<>();
    grantedAfter.forEach((oid, mode) -> {
      if (names.containsKey(oid)) {
        boolean taken = !heldBefore.containsKey(oid) || heldBefore.get(oid).compareTo(mode) < 0;
        locks.add(new ObservedLock(names.get(oid), mode, taken, true, indexTables.get(oid)));
      }
    });
    waiting.forEach((oid, mode) -> {
      if (names.containsKey(oid) && !grantedAfter.containsKey(oid)) {
        locks.add(new ObservedLock(names.get(oid), mode, true, false, indexTables.get(oid)));
      } else if (names.containsKey(oid) && grantedAfter.get(oid).compareTo(mode) < 0) {
        locks.add(new ObservedLock(names.get(oid), mode, true, false, indexTables.get(oid)));
      }
    });
    locks.sort((a, b) -> a.relation().compareTo(b.relation()));
    return List.copyOf(locks);
  }

  private static Map<Long, LockMode> strongest(List<RawLock> locks, boolean granted) {
    Map<Long, LockMode> strongest = new HashMap<>();
    for (RawLock lock : locks) {
      if (lock.granted() == granted) {
        strongest.merge(lock.oid(), lock.mode(), LockMode::max);
      }
    }
    return strongest;
  }

  /** Tables that existed before the script and whose storage file this statement replaced. */
  static List<String> rewritten(Map<Long, Long> before, Map<Long, Long> after,
      Map<Long, Long> beforeScript, Map<Long, String> names) {
    List<String> rewritten = new ArrayList<>();
    before.forEach((oid, file) -> {
      Long now = after.get(oid);
      if (beforeScript.containsKey(oid) && now != null && !now.equals(file) && names.containsKey(oid)) {
        rewritten.add(names.get(oid));
      }
    });
    rewritten.sort(String::compareTo);
    return List.copyOf(rewritten);
  }

  /**
   * Statements the shadow does not run: transaction control (the shadow makes the transactions),
   * COPY .. FROM STDIN (Flyway sends its data apart from the statement), and statements that act on
   * the server rather than on the database (CREATE/DROP DATABASE or TABLESPACE, ALTER SYSTEM), which
   * could break the shadow server itself.
   */
  private static boolean notRunOnShadow(SqlStatement statement) {
    List<SqlToken> tokens = statement.tokens();
    SqlToken first = tokens.get(0);
    SqlToken second = tokens.size() > 1 ? tokens.get(1) : first;
    boolean copyFromStdin = first.isWord("copy") && tokens.stream().anyMatch(t -> t.isWord("stdin"));
    boolean serverWide = ((first.isWord("create") || first.isWord("drop"))
        && (second.isWord("database") || second.isWord("tablespace")))
        || (first.isWord("alter") && (second.isWord("system") || second.isWord("database")));
    return copyFromStdin || serverWide || TransactionControl.of(tokens) != TransactionControl.NONE;
  }

  /**
   * For a BEGIN, COMMIT or ROLLBACK inside the transaction: not run (the shadow makes the
   * transactions), but the locks the transaction holds at that point, which a COMMIT or ROLLBACK
   * there would release before the script ends.
   */
  private StatementObservation locksHeldAt(int pid) throws SQLException {
    Catalog.Snapshot now = Catalog.snapshot(main, pid);
    List<ObservedLock> held = describe(now.locks(), now.locks(), now.names(), now.indexTables());
    return new StatementObservation(held, List.of(), NOT_RUN_ON_SHADOW, Method.NOT_RUN);
  }

  private static StatementObservation notRun(String why) {
    return new StatementObservation(List.of(), List.of(), why, Method.NOT_RUN);
  }

  /** "SQLSTATE: message", the first line of the message only. */
  static String error(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int newline = message.indexOf('\n');
    return e.getSQLState() + ": " + (newline < 0 ? message : message.substring(0, newline));
  }
}
