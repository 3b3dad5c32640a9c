// An independent check of Parlor's webhooks, written the way the hosted service's own sample
// verifies them: parse the body, re-serialize it with JSON.stringify, and compare
// HMAC-SHA256(secret, t + "." + body) with the v1 value of the Whereby-Signature header.
//
//   node verify.js signatures   stdin: one JSON object per line {secret, signature, body}
//                               (body is the raw request body as received); prints true/false
//   node verify.js roundtrip    stdin: one JSON text per line; prints whether
//                               JSON.stringify(JSON.parse(line)) gives the line back unchanged
const crypto = require("crypto");
const readline = require("readline");

function isValidSignature(secret, header, parsedBody) {
  const [timestampPart, signaturePart] = header.split(",");
  const timestamp = timestampPart.split("=")[1];
  const signature = signaturePart.split("=")[1];
  const payload = `${timestamp}.${JSON.stringify(parsedBody)}`;
  const expected = crypto.createHmac("sha256", secret).update(payload).digest("hex");
  const a = Buffer.from(expected, "hex");
  const b = Buffer.from(signature, "hex");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const mode = process.argv[2];
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (line.length === 0) return;
  if (mode === "signatures") {
    const req = JSON.parse(line);
    console.log(String(isValidSignature(req.secret, req.signature, JSON.parse(req.body))));
  } else if (mode === "roundtrip") {
    console.log(String(JSON.stringify(JSON.parse(line)) === line));
  } else {
    console.error("usage: node verify.js signatures|roundtrip");
    process.exit(2);
  }
});
