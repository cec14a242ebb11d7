package dev.lockstep.world;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * Answers {@code SelfSubjectRulesReview}s the way kube-apiserver does for a user who may do
 * everything (the world has no RBAC). JOSDK's leader election asks one before it campaigns, to
 * fail early without permission on Leases; a plain CRUD store would echo the request back with no
 * status.
 */
final class SelfRulesReviews {

  private static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private SelfRulesReviews() {}

  static Optional<MockResponse> answer(RecordedRequest request) {
    if (!"POST".equals(request.getMethod()) || request.getPath() == null || !request.getPath().startsWith(PATH)) {
      return Optional.empty();
    }
    SelfSubjectRulesReview review = Serialization.unmarshal(request.getBody().readUtf8(), SelfSubjectRulesReview.class);
    review.setStatus(new SubjectRulesReviewStatusBuilder()
        .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule()
        .addNewNonResourceRule().withNonResourceURLs("*").withVerbs("*").endNonResourceRule()
        .withIncomplete(false)
        .build());
    return Optional.of(new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review)));
  }
}
