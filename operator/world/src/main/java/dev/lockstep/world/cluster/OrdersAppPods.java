package dev.lockstep.world.cluster;

import dev.lockstep.examples.orders.AppConfig;
import dev.lockstep.examples.orders.OrdersApp;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.kubelet.PodProcess;
import dev.lockstep.world.kubelet.PodProcessContext;
import dev.lockstep.world.kubelet.PodProcessFactory;
import java.io.IOException;

/**
 * Runs the sample application (examples/orders-app) as a pod's container: configured from the pod's
 * resolved env and file view, as its {@code main} would be from the container's, and listening on the
 * pod's own address, where probes and the operator reach it.
 */
final class OrdersAppPods implements PodProcessFactory {

  @Override
  public PodProcess start(PodProcessContext pod) throws IOException {
    ContainerEnvironment container = pod.environment();
    AppConfig config = AppConfig.fromEnv(container::env, container::file).listeningOn(pod.podIp());
    OrdersApp app = OrdersApp.start(config, container.out());
    return app::close;
  }
}
