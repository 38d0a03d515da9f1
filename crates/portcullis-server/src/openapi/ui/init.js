// Swagger UI over the document at /api/schema/. A script of its own, not inline: the page's
// Content-Security-Policy allows scripts from this origin's files only.
"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/schema/?format=json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
