/** A progress bar on stderr: redrawn in place on a terminal, a line every 25% otherwise (CI logs). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastQuarter = -1;
  let lastDraw = 0;
  return {
    update(done: number, total: number, note = ""): void {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      if (stream.isTTY) {
        const now = Date.now();
        if (ratio < 1 && now - lastDraw < 50) return;
        lastDraw = now;
        const width = 28;
        const filled = Math.round(ratio * width);
        stream.write(`\r${label.padEnd(8)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} ${note}\x1b[K`);
        if (ratio === 1) stream.write("\n");
      } else {
        const quarter = Math.floor(ratio * 4);
        if (quarter !== lastQuarter) {
          lastQuarter = quarter;
          stream.write(`${label}: ${Math.round(ratio * 100)}% (${done}/${total}) ${note}\n`);
        }
      }
    },
  };
}
