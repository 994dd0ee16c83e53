/**
 * Microsoft Entra ID (Azure AD) source connector over Microsoft Graph: {@link io.usher.azure.AzureSourceConnector}
 * (snapshot, delta queries, nested groups, connection test), configured by {@link io.usher.azure.AzureConfig}
 * and found by type {@code azure} through {@link io.usher.azure.AzureConnectorProvider}. Everything else is
 * package-private.
 */
package io.usher.azure;
