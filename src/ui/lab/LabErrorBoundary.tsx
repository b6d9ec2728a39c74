import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** The lab's id, named in the message. */
  labId: string;
  children: ReactNode;
}

interface State {
  error?: Error;
  /** Bumped by "Reload the lab" to mount a fresh copy of the lab. */
  generation: number;
}

/** The longest error text shown; the rest is cut with a note. */
const MAX_MESSAGE = 300;

/**
 * Keeps one lab's failure to itself: a rendering error anywhere in the lab (a bug of ours, or data no
 * check anticipated) shows what happened and a way back, instead of removing the lab from the page.
 * The learner's code lives in the progress store, so nothing typed is lost.
 */
export class LabErrorBoundary extends Component<Props, State> {
  override state: State = { generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(
      `streamlab: lab ${this.props.labId} failed to render`,
      error,
      info.componentStack,
    );
  }

  override render(): ReactNode {
    const { error, generation } = this.state;
    if (!error) return <div key={generation}>{this.props.children}</div>;
    const text =
      error.message.length > MAX_MESSAGE
        ? `${error.message.slice(0, MAX_MESSAGE)}… (${error.message.length - MAX_MESSAGE} more characters not shown)`
        : error.message;
    return (
      <div role="alert" className="lab-crash">
        <p>
          <strong>This lab stopped working</strong> because of an internal error: {text}
        </p>
        <p>Your code is saved in this browser. Reload the lab to carry on from where you were.</p>
        <button
          type="button"
          onClick={() => this.setState({ error: undefined, generation: generation + 1 })}
        >
          Reload the lab
        </button>
      </div>
    );
  }
}
