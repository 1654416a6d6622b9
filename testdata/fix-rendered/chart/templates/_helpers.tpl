{{- define "web.worker" -}}
- name: worker
  image: busybox:1.36
  imagePullPolicy: Always
  securityContext:
    allowPrivilegeEscalation: false
    capabilities:
      drop:
        - ALL
    readOnlyRootFilesystem: true
{{- end }}
