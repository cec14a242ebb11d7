package dev.lockstep.world.kubelet;

/**
 * Why a container cannot start yet, as the kubelet reports it in the container's waiting state:
 * e.g. reason {@code CreateContainerConfigError}, message {@code secret "orders-db" not found}.
 * Like the kubelet, the simulated node retries until the cause goes away.
 */
final class ContainerConfigException extends Exception {

  static final String CONFIG_ERROR = "CreateContainerConfigError";
  static final String CONTAINER_CREATING = "ContainerCreating";
  static final String IMAGE_PULL_ERROR = "ErrImagePull";

  private final String reason;

  ContainerConfigException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
