package dev.buildcast.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (META-INF/services, autodetection on): an {@code await()} without
 * its own bound waits up to a minute. why: the bound only decides how long a failing test takes to
 * say so; a passing one returns as soon as its condition holds, so a short default only makes
 * tests fail on machines slower or busier than the one they were written on.
 */
public final class PatientAwaits implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
  }
}
