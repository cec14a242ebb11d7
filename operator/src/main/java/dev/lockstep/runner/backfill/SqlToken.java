package dev.lockstep.runner.backfill;

/** One token of PostgreSQL text; comments are not tokens. */
record SqlToken(Kind kind, String text, int position) {

  enum Kind {
    /** A keyword or an unquoted identifier. */
    WORD,
    /** {@code "Quoted"} identifier. */
    QUOTED_IDENTIFIER,
    /** {@code 'text'}, {@code E'text'}, {@code $tag$text$tag$}. */
    STRING,
    NUMBER,
    /** {@code $1}. */
    PARAMETER,
    /** Any other single character: operators, punctuation, {@code ;}. */
    SYMBOL
  }

  boolean is(char symbol) {
    return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == symbol;
  }
}
