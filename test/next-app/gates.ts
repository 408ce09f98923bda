// Gates that hold a Route Handler open until the test releases it, so races are set up on
// purpose rather than by timing. Kept on globalThis, shared by every route bundle of the process.
interface Gate {
  arrived: boolean;
  open: () => void;
  opened: Promise<void>;
}

const shared = globalThis as { gates?: Map<string, Gate> };
const gates = (shared.gates ??= new Map());

function gate(id: string): Gate {
  let found = gates.get(id);
  if (!found) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    found = { arrived: false, open, opened };
    gates.set(id, found);
  }
  return found;
}

/** Waits at the gate `id` until it is opened. */
export function waitAt(id: string): Promise<void> {
  const found = gate(id);
  found.arrived = true;
  return found.opened;
}

/** Whether a request waits (or waited) at the gate `id`. */
export function arrived(id: string): boolean {
  return gate(id).arrived;
}

/** Lets the request at the gate `id` go on. */
export function openGate(id: string): void {
  gate(id).open();
}
