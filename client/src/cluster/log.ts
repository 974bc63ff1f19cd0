// Logging sink of the cluster layer. The VS Code side plugs in a LogOutputChannel; tests plug in
// an array. Every line passes through redact() first: no token ever reaches a log.
import { redact } from './errors';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, message: string) => void;

export class Logger {
  private sinks: LogSink[] = [];
  constructor(sink?: LogSink) {
    if (sink) this.sinks.push(sink);
  }
  addSink(sink: LogSink): () => void {
    this.sinks.push(sink);
    return () => {
      this.sinks = this.sinks.filter((s) => s !== sink);
    };
  }
  log(level: LogLevel, message: string): void {
    const clean = redact(message);
    for (const s of this.sinks) {
      try {
        s(level, clean);
      } catch {
        // a broken sink must not break the cluster layer
      }
    }
  }
  trace(m: string): void {
    this.log('trace', m);
  }
  debug(m: string): void {
    this.log('debug', m);
  }
  info(m: string): void {
    this.log('info', m);
  }
  warn(m: string): void {
    this.log('warn', m);
  }
  error(m: string): void {
    this.log('error', m);
  }
}
