package dev.lockstep.world.cluster;

import dev.lockstep.world.kubelet.ImageCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The sample applications the test world can run as workload pods. */
public final class SampleApps {

  /** examples/orders-app, any tag. */
  public static final String ORDERS_APP = "ghcr.io/lockstep-dev/orders-app";

  private SampleApps() {}

  /**
   * Adds the sample applications to {@code images}, each with the OpenFeature Operator's flagd sidecar
   * for pods that ask for one.
   *
   * @param client watches the FeatureFlags that sidecars serve
   */
  public static ImageCatalog register(ImageCatalog images, KubernetesClient client) {
    return images.registerWorkloadImage(ORDERS_APP, new OpenFeatureSidecars(client, new OrdersAppPods()));
  }
}
