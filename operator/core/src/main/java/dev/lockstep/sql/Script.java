package dev.lockstep.sql;

import java.util.List;

/**
 * A script split into the statements Flyway will execute.
 *
 * @param name file name, such as {@code V2__add_currency.sql}
 * @param statements the statements in order
 * @param transactional whether Flyway runs the whole script in one transaction
 */
public record Script(String name, List<SqlStatement> statements, boolean transactional) {}
