package dev.lockstep.runner.testing;

import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fresh database for each test of a runner command test, on one PostgreSQL shared by every class
 * that uses this extension in the test run: a server costs about 2.5 s to start, a database a few
 * milliseconds. Take it as a parameter of a {@code @BeforeEach} method or of the test (both get the
 * same database). The server stops when the run ends (JUnit closes what its root store holds).
 */
public final class RunnerDatabase implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunnerDatabase.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestPostgres server = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestPostgres.class, key -> TestPostgres.start(), TestPostgres.class);
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestDatabase.class, key -> server.createDatabase(), TestDatabase.class);
  }
}
