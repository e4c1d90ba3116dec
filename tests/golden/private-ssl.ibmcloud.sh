# vra-config: private-ssl.yaml: nothing to render for --target ibmcloud: the plan has no Transit Gateway or cloud-connection link
