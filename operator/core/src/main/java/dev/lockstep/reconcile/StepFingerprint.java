package dev.lockstep.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.Step;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short hash of what a step does. Recorded when the step starts, it lets the engine tell that a
 * completed step was edited afterwards — which cannot be honoured, because it already ran.
 */
public final class StepFingerprint {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private StepFingerprint() {}

  /** Hash of the step's action; {@code approval} and {@code timeout} do not change what it did. */
  public static String of(Step step) {
    ObjectNode tree = JSON.valueToTree(step);
    tree.remove("approval");
    tree.remove("timeout");
    try {
      byte[] canonical = JSON.writeValueAsBytes(JSON.treeToValue(tree, Object.class));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint step " + step.getName(), e);
    }
  }

}
