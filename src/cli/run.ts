// What every command is given and gives back: where its lines go, and the exit code it chose.
export type Out = (line: string) => void;

export interface Run {
  out: Out;
  exitCode: number;
}
