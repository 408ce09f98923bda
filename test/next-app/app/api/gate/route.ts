// The test's handle on the gates: GET ?id= says whether a request waits there, POST ?id= opens it.
import { arrived, openGate } from "../../../gates.ts";

export function GET(request: Request): Response {
  return Response.json({ arrived: arrived(new URL(request.url).searchParams.get("id")!) });
}

export function POST(request: Request): Response {
  openGate(new URL(request.url).searchParams.get("id")!);
  return Response.json({ opened: true });
}
