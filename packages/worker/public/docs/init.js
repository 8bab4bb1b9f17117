// Starts Swagger UI on the worker's own OpenAPI document. Served with the vendored Swagger UI files, so the
// API docs work on a college intranet that reaches nothing outside the worker.
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
