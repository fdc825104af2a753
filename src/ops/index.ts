// ops: filled in as the room is built.
export {};
