// A last line of defence: a rendering bug shows a message and a way back, not a blank page.
import { Component, type ErrorInfo, type ReactNode } from "react";

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("Statecraft could not draw this page", error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="load-state" role="alert">
        <h1>Something went wrong drawing this page</h1>
        <p className="muted">{this.state.error.message}</p>
        <p>
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            Reload
          </button>{" "}
          <a href="/">Back to the list</a>
        </p>
      </div>
    );
  }
}
