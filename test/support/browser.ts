// The cookie-keeping test client and the test secrets live with the conformance suite (testing/).
export { OLD_SECRET, SECRET, TestBrowser, setCookieFor } from "../../testing/browser.ts";
