package dev.memtrace.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;

/**
 * strace, started through Apache Commons Exec. The traced program inherits memtrace's own stdin,
 * stdout and stderr (the file descriptors themselves, not pumped copies), so a terminal stays a
 * terminal and nothing is buffered or reordered; strace's log goes to the FIFO instead.
 */
public final class StraceProcess {

  private final CompletableFuture<Process> process = new CompletableFuture<>();
  private final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();

  private StraceProcess() {}

  /** Starts {@code argv} asynchronously; returns once the process exists. */
  static StraceProcess start(List<String> argv) throws IOException {
    StraceProcess sp = new StraceProcess();
    CommandLine cmd = new CommandLine(argv.get(0));
    for (String a : argv.subList(1, argv.size())) {
      cmd.addArgument(a, false);
    }
    DefaultExecutor executor = new InheritingExecutor(sp.process);
    executor.setExitValues(null); // every status is the program's to report, not a failure
    executor.setStreamHandler(new InheritedStreams());
    executor.execute(cmd, sp.result);
    try {
      sp.process.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("cannot start " + argv.get(0) + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting strace", e);
    } catch (TimeoutException e) {
      throw new IOException("strace did not start within 30 s", e);
    }
    return sp;
  }

  public ProcessHandle handle() {
    return process.join().toHandle();
  }

  /** Waits for strace to end; its exit status (128+N when killed by signal N). */
  int waitFor() throws InterruptedException {
    result.waitFor();
    if (result.getException() != null && result.getException().getCause() != null) {
      throw new IllegalStateException("strace failed to run", result.getException().getCause());
    }
    return result.getExitValue();
  }

  boolean hasEnded() {
    return result.hasResult();
  }

  /** Commons Exec's executor, launching with inherited standard streams. */
  private static final class InheritingExecutor extends DefaultExecutor {
    private final CompletableFuture<Process> started;

    InheritingExecutor(CompletableFuture<Process> started) {
      this.started = started;
    }

    @Override
    protected Process launch(CommandLine command, Map<String, String> env, File dir)
        throws IOException {
      try {
        ProcessBuilder pb = new ProcessBuilder(command.toStrings()).inheritIO();
        if (dir != null) {
          pb.directory(dir);
        }
        Process p = pb.start();
        started.complete(p);
        return p;
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
        throw e;
      }
    }
  }

  /** Nothing to pump: the streams are inherited. */
  private static final class InheritedStreams implements ExecuteStreamHandler {
    @Override
    public void setProcessInputStream(OutputStream os) {}

    @Override
    public void setProcessErrorStream(InputStream is) {}

    @Override
    public void setProcessOutputStream(InputStream is) {}

    @Override
    public void start() {}

    @Override
    public void stop() {}
  }
}
