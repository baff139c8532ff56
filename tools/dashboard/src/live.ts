// Each page render gets a generation number; pollers stop once the user has moved on.
let generation = 0;
export function nextGeneration(): number { return ++generation; }
export function currentGeneration(): number { return generation; }
export function alive(g: number): boolean { return g === generation; }
export function sleep(ms: number): Promise<void> { return new Promise(r => setTimeout(r, ms)); }
