package dev.liffey.it.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS endpoints on 127.0.0.1 that never answer: one that drops SYNs (a listening socket whose
 * backlog is full and is never accepted from: what a firewall that drops packets looks like to a
 * client), and one that accepts connections and never replies.
 */
final class NeverAnswering implements AutoCloseable {
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  URI droppingSyns() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    open.add(server);
    for (int i = 0; i < 16; i++) {
      Socket filler = new Socket();
      open.add(filler);
      try {
        filler.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
      } catch (SocketTimeoutException e) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
      }
    }
    throw new IllegalStateException(
        "the backlog never filled: SYNs are not dropped on this machine");
  }

  URI silent() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    open.add(server);
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  Socket s = server.accept();
                  open.add(s);
                }
              } catch (IOException e) {
                // closed
              }
            },
            "never-replies");
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
