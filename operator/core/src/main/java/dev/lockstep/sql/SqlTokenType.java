package dev.lockstep.sql;

/** The kinds of token the PostgreSQL lexer produces. */
public enum SqlTokenType {
  /** An unquoted identifier or key word; PostgreSQL folds it to lower case. */
  WORD,
  /** A double-quoted identifier: never a key word, case kept. */
  QUOTED_IDENTIFIER,
  /** A string constant of any form: '..', E'..', U&'..', B'..', X'..', N'..' or $tag$..$tag$. */
  STRING,
  NUMBER,
  /** A positional parameter such as $1. */
  PARAMETER,
  /** An operator: a run of + - * / < > = ~ ! @ # % ^ & | ` ?. */
  OPERATOR,
  /** One of ( ) [ ] , ; : . or the cast operator ::. */
  PUNCTUATION,
  /** A -- line comment or a (possibly nested) block comment. */
  COMMENT
}
