package dev.memtrace.cli;

import java.util.List;

/** What {@code memtrace analyze} was asked to do, fixed once the options are read. */
record AnalyzeOptions(
    Format format, String output, boolean strict, ColorMode color, List<String> files) {

  enum Format {
    text,
    jsonl,
    html,
    perfetto
  }

  enum ColorMode {
    auto,
    always,
    never
  }

  AnalyzeOptions {
    files = List.copyOf(files);
  }
}
