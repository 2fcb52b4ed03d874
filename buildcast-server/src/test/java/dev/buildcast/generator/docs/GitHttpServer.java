package dev.buildcast.generator.docs;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.eclipse.jgit.errors.RepositoryNotFoundException;

/**
 * A git server over HTTP on 127.0.0.1 (JGit's servlet on Jetty), started by a test: clones and
 * pushes of the repositories it is given, pushes only with the expected token (HTTP basic, the
 * way code hosts take tokens), and branches it is told to protect refused by a pre-receive check.
 */
final class GitHttpServer implements AutoCloseable {

  private final Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
  private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
  private final Set<String> protectedBranches = ConcurrentHashMap.newKeySet();

  GitHttpServer(String token) throws Exception {
    GitServlet git = new GitServlet();
    RepositoryResolver<HttpServletRequest> resolver = (request, name) -> {
      Repository repo = repositories.get(name);
      if (repo == null) throw new RepositoryNotFoundException(name);
      repo.incrementOpen();
      return repo;
    };
    git.setRepositoryResolver(resolver);
    git.setReceivePackFactory((request, repo) -> {
      ReceivePack pack = new ReceivePack(repo);
      pack.setPreReceiveHook((rp, commands) -> {
        for (ReceiveCommand command : commands) {
          if (protectedBranches.contains(command.getRefName())) {
            command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "branch is protected");
          }
        }
      });
      return pack;
    });
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(git), "/*");
    String expected = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
    Filter pushNeedsToken = (request, response, chain) -> {
      HttpServletRequest http = (HttpServletRequest) request;
      boolean push = http.getRequestURI().endsWith("git-receive-pack") || "git-receive-pack".equals(http.getParameter("service"));
      if (push && !expected.equals(http.getHeader("Authorization"))) {
        HttpServletResponse out = (HttpServletResponse) response;
        out.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
        out.sendError(401);
        return;
      }
      chain.doFilter(request, response);
    };
    context.addFilter(new FilterHolder(pushNeedsToken), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
  }

  void serve(String name, Repository repository) {
    repositories.put(name, repository);
  }

  void protect(String ref) {
    protectedBranches.add(ref);
  }

  String url(String name) {
    return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/" + name;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test's git server", e);
    }
  }
}
