//! Helm charts as Helm loads them: Chart.yaml, dependencies, files, values coalescing
