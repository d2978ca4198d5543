package dev.memtrace.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code memtrace analyze} was asked to do, fixed once the options are read. root is where the
 * files a log names are read ({@code --root}; null: this machine's); noElf reads none.
 */
public record AnalyzeOptions(
    Format format,
    String output,
    boolean strict,
    ColorMode color,
    Summary summary,
    Path snapshots,
    String stages,
    List<String> files,
    Path root,
    boolean noElf) {

  /** Whether to write the summary table: not at all, after the timeline, or instead of it. */
  public enum Summary {
    none,
    after,
    only
  }

  public enum Format {
    text,
    jsonl,
    html,
    perfetto
  }

  public enum ColorMode {
    auto,
    always,
    never
  }

  public AnalyzeOptions {
    files = List.copyOf(files);
  }
}
