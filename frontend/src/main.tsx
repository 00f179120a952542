import "@xyflow/react/dist/style.css";
import "./styles.css";
import { ReactFlowProvider } from "@xyflow/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { ApprovalsPage } from "./pages/ApprovalsPage";
import { DesignerPage } from "./pages/DesignerPage";
import { ExecutionPage } from "./pages/ExecutionPage";
import { ExecutionsPage } from "./pages/ExecutionsPage";

const root = document.getElementById("root");
if (root) {
  const { page, machine = "", execution = "" } = root.dataset;
  const content =
    page === "approvals" ? (
      <ApprovalsPage />
    ) : page === "execution" ? (
      <ExecutionPage execution={execution} />
    ) : page === "executions" ? (
      <ExecutionsPage />
    ) : (
      <DesignerPage machine={machine} />
    );
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <ReactFlowProvider>{content}</ReactFlowProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
}
