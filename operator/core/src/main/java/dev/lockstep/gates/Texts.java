package dev.lockstep.gates;

/** Shortens what others wrote (answer bodies, queries) before it goes into a status message. */
final class Texts {

  /** Status messages stay readable, and a misbehaving endpoint cannot flood them. */
  static final int SHOWN = 200;

  private Texts() {}

  /** Whitespace collapsed, at most {@code limit} characters, and an ellipsis when cut. */
  static String shortened(String text, int limit) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() > limit ? flat.substring(0, limit) + "…" : flat;
  }

  /** {@code ": <start of the body>"}, or nothing for an empty body: for "answered 503: ..." messages. */
  static String bodyPreview(String body) {
    return body == null || body.isBlank() ? "" : ": " + shortened(body, SHOWN);
  }
}
