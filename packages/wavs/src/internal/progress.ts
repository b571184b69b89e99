/** Progress for long operations: a spinner on a terminal, plain lines otherwise. */
export interface Progress {
  update(message: string): void;
  done(message?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Create a progress reporter writing to `stream` (nothing when undefined). */
export function createProgress(stream: NodeJS.WriteStream | undefined): Progress {
  if (!stream) return { update() {}, done() {} };
  if (!stream.isTTY) {
    return {
      update: (m) => stream.write(`${m}\n`),
      done: (m) => {
        if (m) stream.write(`${m}\n`);
      },
    };
  }
  let message = "";
  let frame = 0;
  const timer = setInterval(() => {
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${message}`);
  }, 80);
  timer.unref();
  return {
    update(m) {
      message = m;
    },
    done(m) {
      clearInterval(timer);
      stream.write(`\r\x1b[2K${m ? `✔ ${m}\n` : ""}`);
    },
  };
}
