package dev.buildcast.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * GreenMail SMTP servers for the tests, not started. why this class: GreenMail gives its server two
 * seconds to come up and then fails the test; on a loaded machine that is too short, so every
 * test server here waits up to a minute.
 */
public final class TestSmtpServers {

  private static final long STARTUP_TIMEOUT_MILLIS = 60_000;

  private TestSmtpServers() {}

  /** On a free port of the loopback address. */
  public static GreenMail onAnyPort() {
    return create(ServerSetupTest.SMTP.dynamicPort());
  }

  private static GreenMail create(ServerSetup setup) {
    setup.setServerStartupTimeout(STARTUP_TIMEOUT_MILLIS);
    return new GreenMail(setup);
  }
}
